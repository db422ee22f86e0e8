// Segwit addresses (BIP-173 bech32 for witness v0, BIP-350 bech32m for v1+)
// on mainnet, testnet, signet and regtest.
//
// Decoding validates everything the BIPs require: the bech32 format, the
// expected human-readable part, the checksum variant matching the witness
// version, the witness version (0..16), zero padding, and the program length
// (2..40 bytes; 20 or 32 for v0). Pure and thread-safe.
//
// Errors (stable codes): "address.too-long", "address.bad-char",
// "address.mixed-case", "address.no-separator", "address.bad-hrp",
// "address.too-short", "address.bad-checksum" (bech32 format);
// "address.wrong-hrp", "address.empty-data", "address.bad-version",
// "address.wrong-checksum-variant", "address.bad-padding",
// "address.bad-program-length", "address.not-segwit" (segwit rules).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "btc/standard_scripts.h"
#include "util/bytes.h"
#include "util/expected.h"

namespace ladder::btc {

enum class Network { mainnet, testnet, signet, regtest };

// "bc", "tb", "tb", "bcrt".
std::string_view segwit_hrp(Network net);

// Lower-case address of a witness program under `hrp`. Errors
// "address.bad-version", "address.bad-program-length".
Expected<std::string> encode_segwit_address(std::string_view hrp, uint8_t version, ByteView program);
Expected<std::string> encode_segwit_address(Network net, uint8_t version, ByteView program);

// Decodes an address that must use `hrp` (either case accepted, not mixed).
Expected<WitnessProgram> decode_segwit_address(std::string_view hrp, std::string_view address);
Expected<WitnessProgram> decode_segwit_address(Network net, std::string_view address);

// The address paying to `script_pubkey` (a witness program), or
// "address.not-segwit".
Expected<std::string> address_from_script(Network net, ByteView script_pubkey);
// The scriptPubKey an address pays to.
Expected<Bytes> script_from_address(Network net, std::string_view address);

}  // namespace ladder::btc

#include "btc/address.h"

#include "btc/bech32.h"

namespace ladder::btc {

namespace {

Status check_program(uint8_t version, size_t size) {
  if (version > 16) return make_error("address.bad-version", "witness version " + std::to_string(version));
  if (size < 2 || size > 40)
    return make_error("address.bad-program-length", "witness program of " + std::to_string(size) + " bytes");
  if (version == 0 && size != 20 && size != 32)
    return make_error("address.bad-program-length", "v0 witness program of " + std::to_string(size) + " bytes");
  return ok();
}

// Bech32 format errors keep their reason under the address namespace.
Error as_address_error(const Error& e) {
  const std::string_view prefix = "bech32.";
  std::string code = e.code.starts_with(prefix) ? "address." + e.code.substr(prefix.size()) : e.code;
  return make_error(std::move(code), e.message);
}

}  // namespace

std::string_view segwit_hrp(Network net) {
  switch (net) {
    case Network::mainnet: return "bc";
    case Network::testnet: return "tb";
    case Network::signet: return "tb";
    case Network::regtest: return "bcrt";
  }
  return "bc";
}

Expected<std::string> encode_segwit_address(std::string_view hrp, uint8_t version, ByteView program) {
  LADDER_TRY(check_program(version, program.size()));
  LADDER_ASSIGN(std::vector<uint8_t> data, convert_bits(program, 8, 5, true));
  data.insert(data.begin(), version);
  return bech32_encode(version == 0 ? Bech32Encoding::bech32 : Bech32Encoding::bech32m, hrp, data);
}

Expected<std::string> encode_segwit_address(Network net, uint8_t version, ByteView program) {
  return encode_segwit_address(segwit_hrp(net), version, program);
}

Expected<WitnessProgram> decode_segwit_address(std::string_view hrp, std::string_view address) {
  auto decoded = bech32_decode(address);
  if (!decoded) return as_address_error(decoded.error());
  if (decoded->hrp != hrp)
    return make_error("address.wrong-hrp", "expected '" + std::string(hrp) + "', got '" + decoded->hrp + "'");
  if (decoded->data.empty()) return make_error("address.empty-data", "no witness version");
  const uint8_t version = decoded->data[0];
  if (version > 16) return make_error("address.bad-version", "witness version " + std::to_string(version));
  const auto want = version == 0 ? Bech32Encoding::bech32 : Bech32Encoding::bech32m;
  if (decoded->encoding != want)
    return make_error("address.wrong-checksum-variant",
                      version == 0 ? "witness v0 needs a bech32 checksum" : "witness v1+ needs a bech32m checksum");
  auto program = convert_bits(ByteView(decoded->data).subspan(1), 5, 8, false);
  if (!program) return as_address_error(program.error());
  LADDER_TRY(check_program(version, program->size()));
  return WitnessProgram{version, std::move(*program)};
}

Expected<WitnessProgram> decode_segwit_address(Network net, std::string_view address) {
  return decode_segwit_address(segwit_hrp(net), address);
}

Expected<std::string> address_from_script(Network net, ByteView script_pubkey) {
  auto wp = witness_program(script_pubkey);
  if (!wp) return make_error("address.not-segwit", "scriptPubKey is not a witness program");
  return encode_segwit_address(net, wp->version, wp->program);
}

Expected<Bytes> script_from_address(Network net, std::string_view address) {
  LADDER_ASSIGN(WitnessProgram wp, decode_segwit_address(net, address));
  return witness_program_script(wp.version, wp.program);
}

}  // namespace ladder::btc

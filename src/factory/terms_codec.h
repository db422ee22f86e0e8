// Binary encoding of FactoryParams, Heights and FactoryTerms: one definition
// used for hashing the terms (Layout cache, ceremony transcript) and for the
// wire. Decoding is bounds-checked; malformed input is an error
// ("factory.bad-terms" or "serialize.*").
#pragma once

#include "factory/terms.h"
#include "util/serialize.h"

namespace ladder::factory {

void write_params(Writer& w, const FactoryParams& p);
Expected<FactoryParams> read_params(Reader& r);
void write_terms(Writer& w, const FactoryTerms& t);
Expected<FactoryTerms> read_terms(Reader& r);
Bytes encode_terms(const FactoryTerms& t);
Expected<FactoryTerms> decode_terms(ByteView data);

}  // namespace ladder::factory

#include "util/secure.h"

#include <openssl/crypto.h>

namespace ladder {

void secure_wipe(void* p, size_t n) { OPENSSL_cleanse(p, n); }

}  // namespace ladder

// Wiping secrets. Memory that held a secret key, nonce or seed is cleared
// with a call the optimizer cannot remove (OPENSSL_cleanse).
#pragma once

#include <cstddef>

namespace ladder {

void secure_wipe(void* p, size_t n);

template <class T>
void secure_wipe(T& obj) {
  secure_wipe(&obj, sizeof(obj));
}

}  // namespace ladder

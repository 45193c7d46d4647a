// The OpenSSL headers Hubbub uses: TLS (later), SHA-1 for the WebSocket
// handshake, random bytes, HMAC/EVP for tokens.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
// JWT keys (HubbubAuth): PEM decoding of public keys, certificates and private
// keys, and CRYPTO_memcmp for constant-time MAC comparison.
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/crypto.h>

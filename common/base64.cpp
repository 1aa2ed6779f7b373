#include "common/base64.h"

#include <crypto++/base64.h>
#include <crypto++/filters.h>

namespace segverify {

std::string ToBase64(std::string_view bytes) {
  std::string out;
  CryptoPP::StringSource source(reinterpret_cast<const CryptoPP::byte*>(bytes.data()), bytes.size(), true,
                                new CryptoPP::Base64Encoder(new CryptoPP::StringSink(out), /*insertLineBreaks=*/false));
  return out;
}

}  // namespace segverify

#include "clients/node_text.h"

#include "common/printable.h"

namespace segverify::clients {

std::string ShowNodeText(std::string_view text) { return PrintableCut(text, kMaxNodeTextChars); }

}  // namespace segverify::clients

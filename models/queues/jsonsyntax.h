#pragma once

#include <QByteArrayView>

namespace qs::jobs {

// True when `text` is one JSON object or array (RFC 8259, UTF-8, nested at most 1024 deep, as
// QJsonDocument accepts), checked without building anything: a 50 MB payload is classified
// without the hundreds of MB a parsed document would take, and may then be written out as is.
bool isJsonDocument(QByteArrayView text);

} // namespace qs::jobs

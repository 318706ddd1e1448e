#pragma once

#include "result.h"

#include <QString>

#include <optional>
#include <utility>

namespace qs::core {

// "host:port", or "[v6]:port" for an IPv6 address: how an address is written in a list, a
// message or a map.
QString hostPortText(const QString &host, quint16 port);

// "host:port", "[v6]:port" or, when `defaultPort` is given, "host": the host (without the
// brackets) and the port, or an error that quotes the address and says what is wrong with it.
Result<std::pair<QString, quint16>> parseHostPort(const QString &address,
                                                  std::optional<quint16> defaultPort);

} // namespace qs::core

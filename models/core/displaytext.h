#pragma once

#include <QByteArray>
#include <QString>
#include <QVariant>

namespace qs::core {

// How a server-derived string is shown to a person (terminal, table cell, detail pane).
enum class DisplayMode {
    Line,       // one line: every control character escaped, \n and \t included
    Block,      // a multi-line block (a payload, a stack trace): \n and \t kept, \r\n read as \n
    Identifier, // a queue name or job id: like Line, and '\' doubled, so that what is shown can
                // be typed back (parseIdentifier() reads it)
};

// The one escaping of server data for human eyes. Stored data must never drive the terminal or
// hide itself: C0 controls, ESC, DEL and invalid UTF-8 bytes become \xNN; C1 controls
// (U+0080-U+009F), bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069), the line and paragraph separators (U+2028, U+2029) and lone surrogates become
// \uNNNN. Everything else, non-ASCII text included, is shown as it is. JSON output is never
// escaped this way: it stays exact.
QString displayText(QStringView text, DisplayMode mode = DisplayMode::Line);
QString displayBytes(QByteArrayView bytes, DisplayMode mode = DisplayMode::Line);

// For item models: a string value escaped (display and tool tip roles), anything else as it is.
QVariant displayValue(const QVariant &value, DisplayMode mode = DisplayMode::Line);

// The bytes an operator means by a QUEUE or ID argument: \xNN is that byte, \uNNNN that code
// point in UTF-8, \\ one backslash; any other backslash and everything else is taken as it is.
// So a name shown with displayBytes(…, Identifier) can be pasted back, invalid UTF-8 included.
QByteArray parseIdentifier(QStringView typed);

} // namespace qs::core

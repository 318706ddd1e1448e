// The one escaping of server data for human output (models/core/displaytext): what a terminal
// or a table cell receives must never be a control sequence, a hidden bidi override or an
// invalid byte, and an escaped identifier must read back as the same bytes.
#include "core/displaytext.h"

#include <QTest>

using namespace qs::core;
using namespace Qt::StringLiterals;

class TestDisplayText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bytes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<DisplayMode>("mode");
        QTest::addColumn<QString>("shown");
        const auto line = DisplayMode::Line;
        const auto block = DisplayMode::Block;
        const auto id = DisplayMode::Identifier;
        QTest::newRow("plain") << "emails-42"_ba << line << u"emails-42"_s;
        QTest::newRow("utf-8 text")
            << "rapports-\xc3\xa9 \xe2\x9c\x93"_ba << line << u"rapports-é ✓"_s;
        QTest::newRow("emoji (4 bytes)") << "\xf0\x9f\x98\x80"_ba << line << u"😀"_s;
        QTest::newRow("clear screen") << "a\x1b[2Jb"_ba << line << u"a\\x1b[2Jb"_s;
        QTest::newRow("OSC window title")
            << "\x1b]0;pwned\x07"_ba << line << u"\\x1b]0;pwned\\x07"_s;
        QTest::newRow("NUL") << QByteArray("a\0b", 3) << line << u"a\\x00b"_s;
        QTest::newRow("DEL") << "a\x7f"_ba << line << u"a\\x7f"_s;
        QTest::newRow("C1 CSI (U+009B)") << "a\xc2\x9b"_ba
                                            "2J"_ba
                                         << line << u"a\\u009b2J"_s;
        QTest::newRow("C1 NEL (U+0085)") << "a\xc2\x85"_ba << line << u"a\\u0085"_s;
        QTest::newRow("bidi RLO") << "abc\xe2\x80\xae"_ba
                                     "txt.exe"_ba
                                  << line << u"abc\\u202etxt.exe"_s;
        QTest::newRow("bidi isolates")
            << "\xe2\x81\xa6x\xe2\x81\xa9"_ba << line << u"\\u2066x\\u2069"_s;
        QTest::newRow("LRM RLM ALM")
            << "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"_ba << line << u"\\u200e\\u200f\\u061c"_s;
        QTest::newRow("line separator") << "a\xe2\x80\xa8z"_ba << line << u"a\\u2028z"_s;
        QTest::newRow("invalid byte") << "q\xff"_ba << line << u"q\\xff"_s;
        QTest::newRow("raw C1 byte (not UTF-8)") << "q\x9b"_ba << line << u"q\\x9b"_s;
        QTest::newRow("truncated sequence") << "\xe2\x80"_ba << line << u"\\xe2\\x80"_s;
        QTest::newRow("overlong slash") << "\xc0\xaf"_ba << line << u"\\xc0\\xaf"_s;
        QTest::newRow("encoded surrogate") << "\xed\xa0\x80"_ba << line << u"\\xed\\xa0\\x80"_s;
        QTest::newRow("beyond U+10FFFF")
            << "\xf4\x90\x80\x80"_ba << line << u"\\xf4\\x90\\x80\\x80"_s;
        QTest::newRow("newline in a line") << "one\ntwo\tx"_ba << line << u"one\\x0atwo\\x09x"_s;
        QTest::newRow("newline in a block") << "one\ntwo\tx"_ba << block << u"one\ntwo\tx"_s;
        QTest::newRow("CRLF in a block") << "one\r\ntwo"_ba << block << u"one\ntwo"_s;
        QTest::newRow("lone CR in a block") << "real\rfake"_ba << block << u"real\\x0dfake"_s;
        QTest::newRow("ESC in a block")
            << "trace\n\x1b[31mred"_ba << block << u"trace\n\\x1b[31mred"_s;
        QTest::newRow("backslash in a line") << "C:\\x"_ba << line << u"C:\\x"_s;
        QTest::newRow("backslash in an id") << "a\\x41"_ba << id << u"a\\\\x41"_s;
    }

    void bytes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(DisplayMode, mode);
        QFETCH(QString, shown);
        QCOMPARE(displayBytes(bytes, mode), shown);
        // Whatever comes in, nothing that drives a terminal or hides text comes out.
        for (const QChar c : displayBytes(bytes, mode)) {
            const char16_t u = c.unicode();
            const bool allowed = mode == DisplayMode::Block && (u == '\n' || u == '\t');
            QVERIFY(allowed || (u >= 0x20 && u != 0x7f && !(u >= 0x80 && u <= 0x9f) &&
                                !(u >= 0x202a && u <= 0x202e) && u != 0x200e && u != 0x200f));
        }
    }

    void strings()
    {
        QCOMPARE(displayText(u"plain"), u"plain"_s);
        QCOMPARE(displayText(u"\x1b[2J\u202e\u0085"_s), u"\\x1b[2J\\u202e\\u0085"_s);
        QCOMPARE(displayText(u"a\nb"_s, DisplayMode::Block), u"a\nb"_s);
        QCOMPARE(displayText(u"a\nb"_s), u"a\\x0ab"_s);
        QCOMPARE(displayText(u"😀"_s), u"😀"_s);                                 // a surrogate pair
        QCOMPARE(displayText(QString(QChar(char16_t(0xd800)))), u"\\ud800"_s); // a lone one
        QCOMPARE(displayText(u"é"_s), u"é"_s);
    }

    void identifiersRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("plain") << "emails"_ba;
        QTest::newRow("space") << "with space"_ba;
        QTest::newRow("utf-8") << "rapports-\xc3\xa9"_ba;
        QTest::newRow("invalid utf-8") << "bad-\xff\xfe"_ba;
        QTest::newRow("escape sequence") << "\x1b[2J\x1b]0;t\x07"_ba;
        QTest::newRow("C1 and bidi") << "\xc2\x9b\xe2\x80\xae"_ba;
        QTest::newRow("backslashes") << "a\\x41\\\\b\\"_ba;
        QTest::newRow("NUL") << QByteArray("a\0b", 3);
    }

    void identifiersRoundTrip()
    {
        QFETCH(QByteArray, bytes);
        QCOMPARE(parseIdentifier(displayBytes(bytes, DisplayMode::Identifier)), bytes);
    }

    void typedIdentifiers()
    {
        QCOMPARE(parseIdentifier(u"emails"), "emails"_ba);
        QCOMPARE(parseIdentifier(u"bad-\\xff"), "bad-\xff"_ba);
        QCOMPARE(parseIdentifier(u"\\XfF"), "\\XfF"_ba); // only \x, in either hex case
        QCOMPARE(parseIdentifier(u"\\xFf"), "\xff"_ba);
        QCOMPARE(parseIdentifier(u"\\u00e9"), "\xc3\xa9"_ba);  // U+00E9 in UTF-8
        QCOMPARE(parseIdentifier(u"C:\\path"), "C:\\path"_ba); // not an escape: as typed
        QCOMPARE(parseIdentifier(u"end\\"), "end\\"_ba);
        QCOMPARE(parseIdentifier(u"\\x4"), "\\x4"_ba);       // one digit is no escape
        QCOMPARE(parseIdentifier(u"\\ud800"), "\\ud800"_ba); // a lone surrogate is no code point
        QCOMPARE(parseIdentifier(u"é"), "\xc3\xa9"_ba);
    }
};

QTEST_APPLESS_MAIN(TestDisplayText)
#include "tst_displaytext.moc"

#pragma once

// What a person would see cut off in a window (issue 11, must-have 7): table columns past the
// right edge of their view, fields past the edge of their pane; the light and dark palettes the
// GUI is checked in; screenshots saved for a person to look at.

#include <QAbstractItemModel>
#include <QApplication>
#include <QDir>
#include <QHeaderView>
#include <QPalette>
#include <QScrollBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>

namespace qs::test {

// Header texts of the shown columns of `view` that do not fit in its viewport (cut at the
// right edge, or reachable only by scrolling); empty when every column is on screen.
inline QStringList cutColumns(const QTableView *view)
{
    QStringList cut;
    const QHeaderView *header = view->horizontalHeader();
    const int width = view->viewport()->width();
    for (int column = 0; column < header->count(); ++column) {
        if (header->isSectionHidden(column))
            continue;
        const int right = header->sectionViewportPosition(column) + header->sectionSize(column);
        if (right > width + 1 || header->sectionViewportPosition(column) < 0)
            cut.append(view->model()
                           ->headerData(column, Qt::Horizontal)
                           .toString()
                           .replace(QLatin1Char('\n'), QLatin1Char(' ')));
    }
    if (view->horizontalScrollBar()->maximum() > 0)
        cut.append(QStringLiteral("(horizontal scroll bar)"));
    return cut;
}

// Object names (or class names) of the visible widgets among `fields` that extend past the
// visible rectangle of `pane`.
inline QStringList cutFields(const QWidget *pane, const QList<QWidget *> &fields)
{
    QStringList cut;
    const QRect visible = pane->rect();
    for (const QWidget *field : fields) {
        if (!field->isVisibleTo(pane))
            continue;
        const QRect rect(field->mapTo(pane, QPoint(0, 0)), field->size());
        if (rect.right() > visible.right() || rect.left() < visible.left())
            cut.append(field->objectName().isEmpty()
                           ? QString::fromLatin1(field->metaObject()->className())
                           : field->objectName());
    }
    return cut;
}

// Fusion with its own light palette, or a dark one (the colours of a typical dark desktop
// theme): the GUI must read well, and fit, in both.
inline void usePalette(bool dark)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette palette = QApplication::style()->standardPalette();
    if (dark) {
        const QColor window(0x2d, 0x2d, 0x2d), base(0x1e, 0x1e, 0x1e), text(0xe6, 0xe6, 0xe6);
        palette.setColor(QPalette::Window, window);
        palette.setColor(QPalette::WindowText, text);
        palette.setColor(QPalette::Base, base);
        palette.setColor(QPalette::AlternateBase, QColor(0x29, 0x29, 0x29));
        palette.setColor(QPalette::Text, text);
        palette.setColor(QPalette::Button, window);
        palette.setColor(QPalette::ButtonText, text);
        palette.setColor(QPalette::ToolTipBase, window);
        palette.setColor(QPalette::ToolTipText, text);
        palette.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        palette.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
        palette.setColor(QPalette::HighlightedText, Qt::white);
        palette.setColor(QPalette::Light, QColor(0x45, 0x45, 0x45));
        palette.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3a));
        palette.setColor(QPalette::Mid, QColor(0x50, 0x50, 0x50));
        palette.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
        palette.setColor(QPalette::Shadow, Qt::black);
        palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    }
    QApplication::setPalette(palette);
}

// Saved under $QS_TEST_ARTIFACTS (else the temporary directory), for a person to look at.
inline bool saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("QS_TEST_ARTIFACTS", QDir::tempPath());
    QDir().mkpath(dir);
    return widget->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace qs::test

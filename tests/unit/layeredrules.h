#pragma once

#include "alerts/alertrules.h"

#include <QtGlobal>

namespace qs::test {

// The built-in rules with one rules file's layer over them (named "alerts.json" in errors); a
// layer a test got wrong stops the test.
inline alerts::AlertRules layeredRules(const QByteArray &json)
{
    alerts::AlertRules rules = alerts::AlertRules::defaults();
    const auto added = rules.addLayer(json, QStringLiteral("alerts.json"));
    if (!added)
        qFatal("%s", qPrintable(added.error()));
    return rules;
}

} // namespace qs::test

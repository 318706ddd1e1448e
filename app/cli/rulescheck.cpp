#include "rulescheck.h"

#include "clioutput.h"
#include "headlessserver.h"

#include "alerts/alertengine.h"
#include "alerts/alertseries.h"
#include "monitor/healthreport.h"
#include "monitor/historysamples.h"
#include "session/serversession.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

namespace qs::cli {

core::Result<alerts::AlertRules> checkRules(const core::ConnectionProfile &profile,
                                            const QString &file)
{
    using R = core::Result<alerts::AlertRules>;
    if (!QFileInfo(file).isFile())
        return R::failure(QStringLiteral("no rules file %1").arg(file));
    core::Result<alerts::AlertRules> rules = alerts::AlertRules::forProfile(profile.name);
    if (!rules)
        return rules;
    alerts::AlertRules layered = rules.value();
    const core::Result<bool> added = layered.addFile(file);
    if (!added)
        return R::failure(added.error());
    return R::success(layered);
}

RulesVerdict evaluateRules(HeadlessServer &server, const alerts::AlertRules &rules,
                           const monitor::PollSnapshot &first, int polls, int intervalMs)
{
    const core::ConnectionProfile &profile = server.session().profile();
    alerts::AlertEngine engine(rules, profile.name.isEmpty() ? profile.displayUrl() : profile.name);
    engine.setIgnoreDurations(true);
    monitor::HistorySamples samples;
    monitor::PollSnapshot snapshot = first;
    RulesVerdict verdict;
    for (int i = 0; i < polls; ++i) {
        if (i > 0) {
            QEventLoop wait;
            QTimer::singleShot(intervalMs, &wait, &QEventLoop::quit);
            wait.exec();
            snapshot = server.poll();
        }
        if (!snapshot.ok()) {
            verdict.error = snapshot.error;
            return verdict;
        }
        const QList<history::Sample> polled = samples.take(snapshot);
        engine.evaluate(snapshot.timestampMs,
                        alerts::alertSeries(snapshot, polled,
                                            monitor::evaluateHealth(snapshot.info),
                                            &server.queues()));
    }
    verdict.firing = engine.firing();
    for (const alerts::AlertEvent &event : std::as_const(verdict.firing))
        verdict.exitCode =
            std::max(verdict.exitCode, event.severity == alerts::Severity::Critical ? 2 : 1);
    return verdict;
}

QJsonArray firingJson(const RulesVerdict &verdict)
{
    QJsonArray out;
    for (const alerts::AlertEvent &event : verdict.firing) {
        QJsonObject json = event.toJson();
        json.remove(QStringLiteral("since")); // a moment: no duration to report
        json.remove(QStringLiteral("at"));
        out.append(json);
    }
    return out;
}

QString firingText(const RulesVerdict &verdict)
{
    if (verdict.firing.isEmpty())
        return QStringLiteral("Alerts       none firing\n");
    QString text = QStringLiteral("Alerts       %1 firing\n").arg(verdict.firing.size());
    for (const alerts::AlertEvent &event : verdict.firing)
        text += QStringLiteral("  %1 %2: %3\n")
                    .arg(alerts::severityName(event.severity).toUpper(), field(event.rule),
                         field(event.message));
    return text;
}

} // namespace qs::cli

#pragma once

#include "alerts/alertevent.h"
#include "alerts/alertrules.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

namespace qs::alerts {

// The value of every series one poll offers the rules, by name (alertseries.h).
using SeriesValues = QHash<QString, double>;

// Turns one poll after another into alert events, without I/O: the same code for the window,
// `queuescope record` and `check --rules`. Each rule is followed separately for every series
// it matches (one memory rule, one waiting rule per queue): it fires once when its condition has
// held for the rule's `for`, resolves once when the value has stopped passing its resolve
// threshold for its `clear` (hysteresis), and a rule that fires more than maxFiredPerHour times
// within an hour sends one `flapping` event, then nothing until it has not fired for an hour
// (then its settled state: fired or resolved).
class AlertEngine
{
public:
    explicit AlertEngine(AlertRules rules = AlertRules::defaults(), QString server = {});

    // Keeps what is firing; a rule that is gone or off resolves on the next evaluate().
    void setRules(AlertRules rules);
    const AlertRules &rules() const { return m_rules; }
    // `check --rules` sees a moment, not a duration: conditions fire and clear at once ("for"
    // and "clear" ignored; Nagios' own check attempts are the duration).
    void setIgnoreDurations(bool ignore) { m_ignoreDurations = ignore; }

    // One successful poll's values at nowMs (a failed poll is not evaluated: no value is no
    // evidence). Returns the events of this poll, ordered by rule and series.
    QList<AlertEvent> evaluate(qint64 nowMs, const SeriesValues &values);
    // What fires now (flapping included), as of the last evaluate(): each one's fired event, as
    // it fired. Ordered by severity (critical first), rule and series.
    QList<AlertEvent> firing() const;

    static constexpr qint64 kFlappingWindowMs = 3'600'000;

private:
    // A rule that follows a series, resolved once per series (until the rules change).
    struct Match
    {
        AlertRule rule;      // as it applies to the series' queue
        QString queue;       // of the series; empty for a server series
        QString track;       // the key of its Track
        QString guardSeries; // the `while` series of the same queue; empty without
    };
    // One rule on one series.
    struct Track
    {
        QString rule;
        QString series;
        QString queue;
        std::deque<std::pair<qint64, double>> points; // for a change over a window
        std::optional<qint64> trueSince;              // the condition holds since
        std::optional<qint64> falseSince;             // fired, and no longer passes since
        bool firing = false;
        bool flapping = false;
        qint64 firedSince = 0;
        double value = 0;
        QList<qint64> firedTimes; // within the flapping window
        bool seen = false;
        AlertEvent fired; // as last fired (message: the template): also when its rule is gone
    };

    const QList<Match> &matchesOf(const QString &series);
    const QRegularExpression &pattern(const QString &glob);
    std::optional<double> measure(Track &track, const AlertRule &rule, qint64 nowMs,
                                  double value) const;
    void step(Track &track, const AlertRule &rule, qint64 nowMs, bool holds, bool stays,
              QList<AlertEvent> &events);
    void announce(Track &track, AlertState state, qint64 nowMs, QList<AlertEvent> &events) const;
    // The event as it fired, its message still a template ({value} ...).
    AlertEvent firedEvent(const Track &track, const AlertRule &rule, qint64 nowMs) const;
    QString messageOf(const AlertEvent &fired, double value) const;

    AlertRules m_rules;
    QString m_server;
    bool m_ignoreDurations = false;
    QHash<QString, QList<Match>> m_matches; // series -> the rules that follow it
    QHash<QString, QRegularExpression> m_patterns;
    QHash<QString, Track> m_tracks; // rule + '\n' + series
};

} // namespace qs::alerts

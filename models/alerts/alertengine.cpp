#include "alerts/alertengine.h"

#include <QCoreApplication>

#include <algorithm>

namespace qs::alerts {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(AlertEngine)
};

// A change window keeps at most this many points (one per window/kPointsPerWindow): a 5-minute
// change over 1 s polls needs no 300 points to be right to a few seconds.
constexpr qint64 kPointsPerWindow = 120;

QString trackKey(const QString &rule, const QString &series)
{
    return rule + QLatin1Char('\n') + series;
}

QString substituted(const QString &glob, const QStringList &captures)
{
    QStringList parts = glob.split(QLatin1Char('*'));
    QString out = parts.takeFirst();
    for (qsizetype i = 0; i < parts.size(); ++i)
        out += captures.value(std::min(i, captures.size() - 1)) + parts.at(i);
    return out;
}

bool ordered(const AlertEvent &a, const AlertEvent &b)
{
    if (a.severity != b.severity)
        return a.severity == Severity::Critical;
    if (a.rule != b.rule)
        return a.rule < b.rule;
    return a.series < b.series;
}

} // namespace

AlertEngine::AlertEngine(AlertRules rules, QString server)
    : m_rules(std::move(rules))
    , m_server(std::move(server))
{
}

void AlertEngine::setRules(AlertRules rules)
{
    m_rules = std::move(rules);
    m_matches.clear();
}

const QRegularExpression &AlertEngine::pattern(const QString &glob)
{
    auto it = m_patterns.find(glob);
    if (it == m_patterns.end())
        it = m_patterns.insert(glob, AlertRules::globPattern(glob));
    return *it;
}

const QList<AlertEngine::Match> &AlertEngine::matchesOf(const QString &series)
{
    auto it = m_matches.find(series);
    if (it != m_matches.end())
        return *it;
    QList<Match> matches;
    const QString queue = AlertRules::queueOf(series);
    for (const QString &id : m_rules.ids()) {
        const std::optional<AlertRule> rule = m_rules.effective(id, queue);
        if (!rule)
            continue;
        const QRegularExpressionMatch match = pattern(rule->series).match(series);
        if (!match.hasMatch())
            continue;
        QStringList captures = match.capturedTexts();
        captures.removeFirst();
        matches.append({*rule, queue, trackKey(id, series),
                        rule->guard ? substituted(rule->guard->series, captures) : QString()});
    }
    return *m_matches.insert(series, matches);
}

std::optional<double> AlertEngine::measure(Track &track, const AlertRule &rule, qint64 nowMs,
                                           double value) const
{
    if (!rule.changeMs)
        return value;
    const qint64 window = *rule.changeMs;
    auto &points = track.points;
    while (points.size() >= 2 && points[1].first <= nowMs - window)
        points.pop_front();
    std::optional<double> change;
    if (!points.empty() && points.front().first < nowMs)
        change = value - points.front().second;
    if (points.empty() || nowMs - points.back().first >= window / kPointsPerWindow)
        points.emplace_back(nowMs, value);
    return change;
}

QList<AlertEvent> AlertEngine::evaluate(qint64 nowMs, const SeriesValues &values)
{
    QList<AlertEvent> events;
    for (Track &track : m_tracks)
        track.seen = false;
    for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
        for (const Match &match : matchesOf(it.key())) {
            const AlertRule &rule = match.rule;
            Track &track = m_tracks[match.track];
            if (track.rule.isEmpty()) {
                track.rule = rule.id;
                track.series = it.key();
                track.queue = match.queue;
            }
            track.seen = true;
            const std::optional<double> value = measure(track, rule, nowMs, it.value());
            if (!value)
                continue; // a change needs a second point: no judgement yet
            track.value = *value;
            bool guard = true;
            if (rule.guard) {
                const auto other = values.constFind(match.guardSeries);
                guard = other != values.constEnd() &&
                        compare(rule.guard->comparison, *other, rule.guard->threshold);
            }
            step(track, rule, nowMs, guard && compare(rule.comparison, *value, rule.threshold),
                 guard && compare(rule.comparison, *value, rule.resolveThreshold), events);
        }
    }
    for (auto it = m_tracks.begin(); it != m_tracks.end();) {
        Track &track = *it;
        if (!track.seen) {
            // The series is gone (a queue removed) or the rule is: nothing holds any more.
            const std::optional<AlertRule> rule = m_rules.effective(track.rule, track.queue);
            if (rule) {
                step(track, *rule, nowMs, false, false, events);
            } else if (track.firing || track.flapping) {
                track.firing = track.flapping = false;
                track.firedTimes.clear();
                announce(track, AlertState::Resolved, nowMs, events);
            }
        }
        if (!track.seen && !track.firing && !track.flapping && track.firedTimes.isEmpty())
            it = m_tracks.erase(it);
        else
            ++it;
    }
    std::sort(events.begin(), events.end(), ordered);
    return events;
}

void AlertEngine::step(Track &track, const AlertRule &rule, qint64 nowMs, bool holds, bool stays,
                       QList<AlertEvent> &events)
{
    while (!track.firedTimes.isEmpty() && track.firedTimes.first() <= nowMs - kFlappingWindowMs)
        track.firedTimes.removeFirst();
    if (track.flapping && track.firedTimes.isEmpty()) {
        // Settled: an hour without firing again. Its state now closes the flapping one.
        track.flapping = false;
        if (track.firing)
            track.fired = firedEvent(track, rule, nowMs);
        announce(track, track.firing ? AlertState::Fired : AlertState::Resolved, nowMs, events);
    }
    if (!track.firing) {
        if (!holds) {
            track.trueSince.reset();
            return;
        }
        if (!track.trueSince)
            track.trueSince = nowMs;
        if (!m_ignoreDurations && nowMs - *track.trueSince < rule.forMs)
            return;
        track.firing = true;
        track.firedSince = *track.trueSince;
        track.falseSince.reset();
        track.firedTimes.append(nowMs);
        track.fired = firedEvent(track, rule, nowMs);
        if (track.flapping)
            return;
        if (track.firedTimes.size() > rule.maxFiredPerHour) {
            track.flapping = true;
            announce(track, AlertState::Flapping, nowMs, events);
        } else {
            announce(track, AlertState::Fired, nowMs, events);
        }
        return;
    }
    if (stays) {
        track.falseSince.reset();
        return;
    }
    if (!track.falseSince)
        track.falseSince = nowMs;
    if (!m_ignoreDurations && nowMs - *track.falseSince < rule.clearMs)
        return;
    track.firing = false;
    track.trueSince.reset();
    if (!track.flapping)
        announce(track, AlertState::Resolved, nowMs, events);
}

AlertEvent AlertEngine::firedEvent(const Track &track, const AlertRule &rule, qint64 nowMs) const
{
    AlertEvent event;
    event.rule = rule.id;
    event.severity = rule.severity;
    event.server = m_server;
    event.queue = track.queue;
    event.series = track.series;
    event.value = track.value;
    event.threshold = rule.threshold;
    event.condition = rule.conditionText();
    event.sinceMs = track.firedSince;
    event.atMs = nowMs;
    event.message = rule.message.isEmpty() ? Tr::tr("%1 is %2 (%3)")
                                                 .arg(track.series, QStringLiteral("{value}"),
                                                      event.condition)
                                           : rule.message; // the template: messageOf() fills it in
    return event;
}

QString AlertEngine::messageOf(const AlertEvent &fired, double value) const
{
    QString text = fired.message;
    text.replace(QStringLiteral("{value}"), AlertEvent::formatValue(value));
    text.replace(QStringLiteral("{threshold}"), AlertEvent::formatValue(fired.threshold));
    text.replace(QStringLiteral("{queue}"), fired.queue);
    text.replace(QStringLiteral("{series}"), fired.series);
    text.replace(QStringLiteral("{server}"), m_server);
    return text;
}

void AlertEngine::announce(Track &track, AlertState state, qint64 nowMs,
                           QList<AlertEvent> &events) const
{
    AlertEvent event = track.fired;
    event.state = state;
    event.atMs = nowMs;
    event.value = track.value;
    event.message = messageOf(track.fired, track.value);
    switch (state) {
    case AlertState::Fired:
        break;
    case AlertState::Resolved:
        event.message = Tr::tr("resolved: %1").arg(event.message);
        break;
    case AlertState::Flapping:
        event.sinceMs = track.firedTimes.isEmpty() ? nowMs : track.firedTimes.first();
        event.message =
            Tr::tr("flapping (fired %1 times within an hour; no more notifications until it "
                   "settles): %2")
                .arg(track.firedTimes.size())
                .arg(event.message);
        break;
    }
    events.append(event);
}

QList<AlertEvent> AlertEngine::firing() const
{
    QList<AlertEvent> out;
    for (const Track &track : m_tracks) {
        if (!track.firing && !track.flapping)
            continue;
        AlertEvent event = track.fired;
        event.message = messageOf(track.fired, track.fired.value);
        if (track.flapping)
            event.state = AlertState::Flapping;
        out.append(event);
    }
    std::sort(out.begin(), out.end(), ordered);
    return out;
}

} // namespace qs::alerts

#include "queuespec.h"

#include "core/displaytext.h"
#include "frameworks/registry.h"

namespace qs::cli {

void addQueueOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("prefix"),
                      QStringLiteral("Key prefix of the queue when not the framework's default "
                                     "(BullMQ/Bull prefix, Sidekiq namespace, kombu "
                                     "global_keyprefix)."),
                      QStringLiteral("PREFIX")});
}

core::Result<queues::QueueRef> parseQueueSpec(const QString &spec, const QCommandLineParser &parser)
{
    using R = core::Result<queues::QueueRef>;
    const qsizetype slash = spec.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == spec.size() - 1)
        return R::failure(QStringLiteral("a queue is FRAMEWORK/NAME (e.g. bullmq/emails, "
                                         "rq/default), not '%1'")
                              .arg(spec));
    const std::optional<queues::Framework> framework = queues::frameworkFromName(spec.left(slash));
    if (!framework)
        return R::failure(QStringLiteral("unknown framework '%1' in '%2' (%3)")
                              .arg(spec.left(slash), spec, frameworks::knownNames()));
    queues::QueueRef ref;
    ref.framework = *framework;
    // \xNN escapes name any byte (names are printed that way, invalid UTF-8 included).
    ref.name = core::parseIdentifier(spec.mid(slash + 1));
    ref.prefix = parser.isSet(QStringLiteral("prefix"))
                     ? core::parseIdentifier(parser.value(QStringLiteral("prefix")))
                     : frameworks::defaultPrefix(*framework);
    return R::success(ref);
}

QString queueSpec(const queues::QueueRef &queue)
{
    QString spec = queues::frameworkName(queue.framework) + QLatin1Char('/') + queue.displayName();
    if (queue.prefix != frameworks::defaultPrefix(queue.framework))
        spec += QStringLiteral(" --prefix ") +
                core::displayBytes(queue.prefix, core::DisplayMode::Identifier);
    return spec;
}

} // namespace qs::cli

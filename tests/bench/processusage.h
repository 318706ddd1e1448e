#pragma once

// CPU and memory of a process the benchmark started, from /proc.

#include <QFile>

#include <unistd.h>

namespace qs::bench {

struct Usage
{
    double cpuSeconds = 0; // user + system since it started
    double rssMb = 0;
    double peakRssMb = 0;
};

inline Usage usageOf(qint64 pid)
{
    Usage usage;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        const double ticks = double(sysconf(_SC_CLK_TCK));
        usage.cpuSeconds = (fields.value(11).toDouble() + fields.value(12).toDouble()) / ticks;
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            const double kb = line.simplified().split(' ').value(1).toDouble();
            if (line.startsWith("VmRSS:"))
                usage.rssMb = kb / 1024;
            else if (line.startsWith("VmHWM:"))
                usage.peakRssMb = kb / 1024;
        }
    }
    return usage;
}

} // namespace qs::bench

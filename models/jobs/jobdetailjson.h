#pragma once

#include "queues/jobsummary.h"

#include <QByteArrayView>

#include <functional>

namespace qs::jobs {

// Receives a JSON document in pieces, in order.
using JsonSink = std::function<void(QByteArrayView)>;

// The job as one compact JSON document (`job --json`, "copy as JSON"), written in pieces so
// that a 50 MB payload goes out once, from the bytes already in memory: JSON content as it is
// stored (it was validated), text escaped chunk by chunk, binary as base64 chunk by chunk. A
// stored field that a section shows unchanged is written once, in the section; the field says
// {"section": "<title>"}.
void writeJobDetailJson(const JobDetail &detail, const JsonSink &sink);
QByteArray jobDetailJson(const JobDetail &detail);

} // namespace qs::jobs

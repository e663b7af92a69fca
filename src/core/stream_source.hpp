// StreamSource: a long-lived response body produced over time (server-sent events).
//
// The web server drives it: start() once with a wake callback, then next() whenever its previous
// write has completed or wake was called; it sends heartbeats itself when next() has had nothing
// for a while, and closes a client whose write stays stuck. Producers (market/) keep only the
// latest value per key and build a frame when asked, so a slow client never grows a queue.
// Thread-safety: wake may be called from any thread; start/next/stop are called from one strand.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace sinmun {

class StreamSource {
public:
    virtual ~StreamSource() = default;
    virtual void start(std::function<void()> wake) = 0;
    // Bytes to write now, already framed (e.g. "id: 7\nevent: crypto\ndata: {…}\n\n"); empty
    // when nothing is pending.
    virtual std::string next() = 0;
    // As next(), as an immutable buffer that many clients may share (one allocation per frame,
    // not one copy per client); null when nothing is pending. The default wraps next().
    virtual std::shared_ptr<const std::string> next_shared() {
        std::string frame = next();
        if (frame.empty()) return nullptr;
        return std::make_shared<const std::string>(std::move(frame));
    }
    // The connection closed; drop the wake callback. Called once.
    virtual void stop() = 0;
};

}  // namespace sinmun

// The digits a call leg hears: RFC 4733 telephone-events (one digit per event, however many
// packets repeat it) and, when switched on, in-band DTMF tones (spandsp's detector). Not
// thread-safe: the RtpStream that owns it calls it under its lock.
#pragma once

#include <cstdint>
#include <string>

struct dtmf_rx_state_s;

namespace dialtone::call_router {

//   DigitReceiver d;
//   if (char digit = d.OnEvent(header.timestamp, event.event, event.end)) Report(digit);
//   d.DetectInband(true);
//   for (char digit : d.OnAudio(frame, 160)) Report(digit);
class DigitReceiver {
 public:
  DigitReceiver() = default;
  ~DigitReceiver();
  DigitReceiver(const DigitReceiver&) = delete;
  DigitReceiver& operator=(const DigitReceiver&) = delete;

  // The digit a telephone-event packet starts, or '\0' (a repeat or the end of one already
  // reported, or an event that is not a digit). A new event has a new RTP timestamp (RFC 4733
  // 2.5.1.2); replayed captures may reuse one, so another code, or a start after an end, is new
  // too.
  char OnEvent(uint32_t rtp_timestamp, int event, bool end);

  void DetectInband(bool on);
  bool detecting_inband() const { return dtmf_rx_ != nullptr; }
  // The in-band digits detected in these samples (none while detection is off).
  std::string OnAudio(const int16_t* frame, int samples);

 private:
  uint32_t last_timestamp_ = 0;
  int last_code_ = -1;
  bool last_ended_ = false;
  bool reported_ = false;
  dtmf_rx_state_s* dtmf_rx_ = nullptr;
  std::string pending_;  // filled by spandsp's callback during OnAudio
};

}  // namespace dialtone::call_router

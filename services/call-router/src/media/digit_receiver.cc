// DigitReceiver.
#include "media/digit_receiver.h"

#include <spandsp.h>

#include "media/rtp_wire.h"

namespace dialtone::call_router {
namespace {

void OnInbandDigits(void* user, const char* digits, int len) {
  static_cast<std::string*>(user)->append(digits, static_cast<size_t>(len));
}

}  // namespace

DigitReceiver::~DigitReceiver() { DetectInband(false); }

char DigitReceiver::OnEvent(uint32_t rtp_timestamp, int event, bool end) {
  if (rtp_timestamp != last_timestamp_ || event != last_code_ || (last_ended_ && !end)) {
    last_timestamp_ = rtp_timestamp;
    last_code_ = event;
    reported_ = false;
  }
  last_ended_ = end;
  const char digit = DtmfDigit(event);
  if (reported_ || digit == '\0') return '\0';
  reported_ = true;
  return digit;
}

void DigitReceiver::DetectInband(bool on) {
  if (on && dtmf_rx_ == nullptr) {
    dtmf_rx_ = dtmf_rx_init(nullptr, OnInbandDigits, &pending_);
  } else if (!on && dtmf_rx_ != nullptr) {
    dtmf_rx_free(dtmf_rx_);
    dtmf_rx_ = nullptr;
  }
}

std::string DigitReceiver::OnAudio(const int16_t* frame, int samples) {
  if (dtmf_rx_ == nullptr) return {};
  pending_.clear();
  dtmf_rx(dtmf_rx_, frame, samples);
  return pending_;
}

}  // namespace dialtone::call_router

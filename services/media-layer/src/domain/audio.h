// The audio library (libs/audio) under the names the media layer's code uses.
#pragma once

#include "dialtone/audio/audio.h"

namespace dialtone::media_layer {

using audio::DecodeAudio;
using audio::DecodeG711;
using audio::Downmix;
using audio::EncodeG711;
using audio::G711;
using audio::IsAudioContentType;
using audio::kTelephonyRate;
using audio::PcmAudio;
using audio::Resample;
using audio::ToTelephony;
using audio::TrimSilence;
using audio::WavHeader;

}  // namespace dialtone::media_layer

// Cache keys of media requests: the normalised request, hashed. Pure, any thread.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "domain/audio.h"

namespace dialtone::media_layer {

// http(s) only; lowercases scheme and host, drops the default port and the fragment, normalises
// percent-encoding and dot segments. InvalidArgument with Twilio 11100 otherwise.
absl::StatusOr<std::string> NormaliseUrl(const std::string& url);

// Hex SHA-256 of the request's identity. Two requests that must give the same audio hash the same.
std::string UrlRequestKey(const std::string& normalised_url, G711 codec);
std::string SpeechRequestKey(const std::string& engine, const std::string& voice,
                             const std::string& language, const std::string& text, G711 codec);

std::string Sha256Hex(std::string_view data);

}  // namespace dialtone::media_layer

// ReadInvite, ClaimedSource, DigestCredentials and ChallengeAnswer.
#include "sip/sip_headers.h"

#include <strings.h>

#include <sofia-sip/msg_header.h>

#include "absl/strings/str_cat.h"
#include "sip/sip_access.h"

namespace dialtone::call_router {
namespace {

std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

absl::StatusOr<SipInvite> ReadInvite(const sip_t* sip) {
  if (sip == nullptr || sip->sip_to == nullptr || sip->sip_from == nullptr ||
      sip->sip_call_id == nullptr) {
    return absl::InvalidArgumentError("INVITE without To, From or Call-ID");
  }
  SipInvite invite;
  const url_t* from = sip->sip_from->a_url;
  const url_t* to = sip->sip_to->a_url;
  invite.from_user = Str(from->url_user);
  invite.from_uri = absl::StrCat("sip:", invite.from_user.empty() ? "" : invite.from_user + "@",
                                 Str(from->url_host));
  invite.to_user = Str(to->url_user);
  invite.call_id = Str(sip->sip_call_id->i_id);
  invite.display_name = Str(sip->sip_from->a_display);
  invite.sdp = MessageBody(sip);
  return invite;
}

std::string MessageBody(const sip_t* sip) {
  if (sip == nullptr || sip->sip_payload == nullptr || sip->sip_payload->pl_data == nullptr)
    return {};
  return std::string(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

absl::string_view ClaimedSource(const sip_t* sip) {
  absl::string_view claimed;
  if (sip == nullptr) return claimed;
  for (const sip_unknown_t* h = sip->sip_unknown; h != nullptr; h = h->un_next) {
    if (h->un_name != nullptr && h->un_value != nullptr &&
        strcasecmp(h->un_name, CallerAddress::kHeader) == 0) {
      claimed = h->un_value;
    }
  }
  return claimed;
}

const msg_auth_t* DigestCredentials(const sip_t* sip) {
  if (sip == nullptr) return nullptr;
  const msg_auth_t* credentials = sip->sip_authorization;
  while (credentials != nullptr &&
         (credentials->au_scheme == nullptr || strcasecmp(credentials->au_scheme, "Digest") != 0)) {
    credentials = credentials->au_next;
  }
  return credentials;
}

std::optional<std::string> ChallengeAnswer(const sip_t* sip, int status,
                                           const std::string& username,
                                           const std::string& password) {
  if (sip == nullptr || (status != 401 && status != 407)) return std::nullopt;
  const msg_auth_t* challenge =
      status == 401 ? sip->sip_www_authenticate : sip->sip_proxy_authenticate;
  const char* realm =
      challenge != nullptr ? msg_params_find(challenge->au_params, "realm=") : nullptr;
  if (realm == nullptr || challenge->au_scheme == nullptr) return std::nullopt;
  return absl::StrCat(challenge->au_scheme, ":", realm, ":", username, ":", password);
}

}  // namespace dialtone::call_router

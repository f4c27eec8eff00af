// SignRequest.
#include "dialtone/webhook/signed_request.h"

#include "dialtone/webhook/signature.h"

namespace dialtone::webhook {

SignedRequest SignRequest(absl::string_view url, bool post, const Params& params,
                          absl::string_view auth_token) {
  SignedRequest out;
  out.post = post;
  out.url = std::string(url);
  if (post) {
    out.body = FormEncode(params);
    out.signature = ComputeTwilioSignature(auth_token, out.url, params);
    return out;
  }
  if (!params.empty()) {
    absl::string_view before_fragment = url.substr(0, url.find('#'));
    out.url = std::string(before_fragment);
    out.url += before_fragment.find('?') == absl::string_view::npos ? '?' : '&';
    out.url += FormEncode(params);
  }
  out.signature = ComputeTwilioSignature(auth_token, out.url, {});
  return out;
}

}  // namespace dialtone::webhook

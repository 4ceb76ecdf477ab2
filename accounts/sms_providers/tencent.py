"""Tencent Cloud SMS (腾讯云短信, API 2021-01-11 `SendSms`), signed with TC3-HMAC-SHA256 as
Tencent Cloud API 3.0 documents it:

1. CanonicalRequest = "POST\\n/\\n\\n" + "content-type:<type>\\nhost:<host>\\n" + "\\n" +
   "content-type;host" + "\\n" + hex(SHA256(payload));
2. StringToSign = "TC3-HMAC-SHA256\\n" + timestamp + "\\n" + date/service/tc3_request +
   "\\n" + hex(SHA256(CanonicalRequest)), the date being the timestamp's UTC day;
3. the key is HMAC-SHA256 chained over "TC3" + SecretKey, the date, the service and
   "tc3_request"; Signature = hex(HMAC-SHA256(key, StringToSign)).

KEPU_SMS_BACKEND = "accounts.sms_providers.tencent.TencentSMSBackend", with
KEPU_SMS_TENCENT_SECRET_ID, KEPU_SMS_TENCENT_SECRET_KEY, KEPU_SMS_TENCENT_SDK_APP_ID,
KEPU_SMS_SIGN_NAME and KEPU_SMS_TEMPLATES (see accounts/sms_providers/__init__.py).
"""

import datetime
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

from django.conf import settings

from . import SMSSendingFailed, logger, ordered_parameters, post, required_setting, template_id

ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host"
API_VERSION = "2021-01-11"
SERVICE = "sms"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def canonical_request(host: str, payload: bytes, content_type: str = CONTENT_TYPE) -> str:
    return "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{content_type}\nhost:{host}\n",
            SIGNED_HEADERS,
            hashlib.sha256(payload).hexdigest(),
        ]
    )


def credential_scope(timestamp: int, service: str) -> str:
    day = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")
    return f"{day}/{service}/tc3_request"


def string_to_sign(request: str, timestamp: int, service: str) -> str:
    hashed = hashlib.sha256(request.encode()).hexdigest()
    return f"{ALGORITHM}\n{timestamp}\n{credential_scope(timestamp, service)}\n{hashed}"


def authorization(
    secret_id: str,
    secret_key: str,
    *,
    service: str,
    host: str,
    payload: bytes,
    timestamp: int,
    content_type: str = CONTENT_TYPE,
) -> str:
    """The Authorization header of a POST of `payload` to `host` at `timestamp`."""
    scope = credential_scope(timestamp, service)
    key = _hmac(("TC3" + secret_key).encode(), scope.split("/")[0])
    key = _hmac(_hmac(key, service), "tc3_request")
    text = string_to_sign(canonical_request(host, payload, content_type), timestamp, service)
    signature = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    return (
        f"{ALGORITHM} Credential={secret_id}/{scope}, "
        f"SignedHeaders={SIGNED_HEADERS}, Signature={signature}"
    )


class TencentSMSBackend:
    """Sends through Tencent Cloud SMS with a signed JSON POST. Raises SMSSendingFailed with
    Tencent's error code when the request or the number is refused."""

    def send(self, phone: str, message: str, *, template: str = "", params=None) -> None:
        endpoint = settings.KEPU_SMS_TENCENT_ENDPOINT
        host = urlsplit(endpoint).netloc
        payload = json.dumps(
            {
                "PhoneNumberSet": [phone],
                "SmsSdkAppId": required_setting("KEPU_SMS_TENCENT_SDK_APP_ID"),
                "SignName": required_setting("KEPU_SMS_SIGN_NAME"),
                "TemplateId": template_id(template),
                "TemplateParamSet": ordered_parameters(template, params),
            },
            ensure_ascii=False,
        ).encode()
        timestamp = int(time.time())
        headers = {
            "Authorization": authorization(
                required_setting("KEPU_SMS_TENCENT_SECRET_ID"),
                required_setting("KEPU_SMS_TENCENT_SECRET_KEY"),
                service=SERVICE,
                host=host,
                payload=payload,
                timestamp=timestamp,
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": API_VERSION,
            "X-TC-Region": settings.KEPU_SMS_TENCENT_REGION,
        }
        answer = post(endpoint, payload, headers).get("Response", {})
        if "Error" in answer:
            error = answer["Error"]
            raise SMSSendingFailed(str(error.get("Code", "unknown")), error.get("Message", ""))
        statuses = answer.get("SendStatusSet") or [{}]
        if statuses[0].get("Code") != "Ok":
            raise SMSSendingFailed(
                str(statuses[0].get("Code", "unknown")), statuses[0].get("Message", "")
            )
        logger.info(
            "sms sent by tencent",
            extra={"template": template, "serial_no": statuses[0].get("SerialNo")},
        )

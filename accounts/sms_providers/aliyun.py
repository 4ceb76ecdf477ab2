"""Aliyun SMS (阿里云短信服务, dysmsapi 2017-05-25 `SendSms`), signed with the RPC signature
version 1.0 (HMAC-SHA1) as Aliyun documents it:

1. every request parameter except Signature, sorted by name, each name and value
   percent-encoded (RFC 3986: only A–Z a–z 0–9 - _ . ~ stay as they are, space is %20) and
   joined as name=value&…;
2. StringToSign = METHOD + "&" + percentEncode("/") + "&" + percentEncode(that string);
3. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).

KEPU_SMS_BACKEND = "accounts.sms_providers.aliyun.AliyunSMSBackend", with
KEPU_SMS_ALIYUN_ACCESS_KEY_ID, KEPU_SMS_ALIYUN_ACCESS_KEY_SECRET, KEPU_SMS_SIGN_NAME and
KEPU_SMS_TEMPLATES (see accounts/sms_providers/__init__.py).
"""

import base64
import datetime
import hashlib
import hmac
import json
import uuid
from urllib.parse import quote

from django.conf import settings

from accounts.phones import national_number

from . import SMSSendingFailed, logger, post, required_setting, template_id

API_VERSION = "2017-05-25"
REGION = "cn-hangzhou"


def percent_encode(text: str) -> str:
    return quote(str(text), safe="~")


def canonical_query(params: dict[str, str]) -> str:
    return "&".join(
        f"{percent_encode(name)}={percent_encode(params[name])}" for name in sorted(params)
    )


def string_to_sign(method: str, params: dict[str, str]) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def signature(secret: str, method: str, params: dict[str, str]) -> str:
    """The Signature parameter (Base64) for a request with `params` (without Signature)."""
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def send_sms_params(phone: str, sign_name: str, template_code: str, template_params: dict):
    """SendSms's own parameters: the mainland number without +86, the signature name, the
    template and its variables as JSON."""
    return {
        "Action": "SendSms",
        "Version": API_VERSION,
        "RegionId": REGION,
        "PhoneNumbers": national_number(phone),
        "SignName": sign_name,
        "TemplateCode": template_code,
        "TemplateParam": json.dumps(template_params, ensure_ascii=False, separators=(",", ":")),
    }


class AliyunSMSBackend:
    """Sends through Aliyun SMS with a form-encoded, signed POST (the number stays out of
    URLs and proxy logs). Raises SMSSendingFailed with Aliyun's Code when it refuses."""

    def send(self, phone: str, message: str, *, template: str = "", params=None) -> None:
        secret = required_setting("KEPU_SMS_ALIYUN_ACCESS_KEY_SECRET")
        request_params = {
            "AccessKeyId": required_setting("KEPU_SMS_ALIYUN_ACCESS_KEY_ID"),
            "Format": "JSON",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "SignatureNonce": uuid.uuid4().hex,
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            **send_sms_params(
                phone,
                required_setting("KEPU_SMS_SIGN_NAME"),
                template_id(template),
                {key: str(value) for key, value in (params or {}).items()},
            ),
        }
        request_params["Signature"] = signature(secret, "POST", request_params)
        body = canonical_query(request_params).encode()
        answer = post(
            settings.KEPU_SMS_ALIYUN_ENDPOINT,
            body,
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        if answer.get("Code") != "OK":
            raise SMSSendingFailed(str(answer.get("Code", "unknown")), answer.get("Message", ""))
        logger.info(
            "sms sent by aliyun", extra={"template": template, "biz_id": answer.get("BizId")}
        )

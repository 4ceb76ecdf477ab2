"""accounts/sms_providers/tencent.py: Tencent Cloud SMS, signed as documented (TC3-HMAC-SHA256)."""

import json
import time

import pytest

from accounts.sms import send_sms
from accounts.sms_providers import SMSSendingFailed, tencent
from tests.accounts.sms_gateway import gateway  # noqa: F401 (fixture)

pytestmark = pytest.mark.sqlite

# Tencent Cloud's worked example (API 3.0 "签名方法 v3": CVM DescribeInstances).
EXAMPLE_PAYLOAD = (
    b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
)


def test_the_signature_of_tencents_published_example_is_exact():
    request = tencent.canonical_request("cvm.tencentcloudapi.com", EXAMPLE_PAYLOAD)
    assert request.endswith("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")
    assert tencent.string_to_sign(request, 1551113065, "cvm") == (
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    assert tencent.authorization(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        host="cvm.tencentcloudapi.com",
        payload=EXAMPLE_PAYLOAD,
        timestamp=1551113065,
    ) == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
        "tc3_request, SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


@pytest.fixture
def configured(settings, gateway):  # noqa: F811
    settings.KEPU_SMS_BACKEND = "accounts.sms_providers.tencent.TencentSMSBackend"
    settings.KEPU_SMS_TENCENT_ENDPOINT = gateway.url
    settings.KEPU_SMS_TENCENT_SECRET_ID = "AKID-test"
    settings.KEPU_SMS_TENCENT_SECRET_KEY = "test-secret-key"
    settings.KEPU_SMS_TENCENT_SDK_APP_ID = "1400000001"
    settings.KEPU_SMS_SIGN_NAME = "示范市科协"
    settings.KEPU_SMS_TEMPLATES = {"prize_won": "1234567"}
    gateway.answer = {
        "Response": {
            "SendStatusSet": [
                {"Code": "Ok", "PhoneNumber": "+8613812345678", "SerialNo": "2028:1"}
            ],
            "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
        }
    }
    return gateway


def test_a_prize_notice_goes_to_tencent_as_a_signed_post_it_accepts(configured):
    params = {"quiz": "防疫知识竞答", "prize": "一等奖", "link": "https://kepu.example.org/q/1"}

    send_sms("+8613812345678", "恭喜中奖", template="prize_won", params=params)

    (request,) = configured.requests
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert headers["x-tc-action"] == "SendSms" and headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert abs(int(headers["x-tc-timestamp"]) - time.time()) < 60
    body = json.loads(request.body)
    assert body == {
        "PhoneNumberSet": ["+8613812345678"],
        "SmsSdkAppId": "1400000001",
        "SignName": "示范市科协",
        "TemplateId": "1234567",
        "TemplateParamSet": ["防疫知识竞答", "一等奖", "https://kepu.example.org/q/1"],
    }
    # The signature covers exactly the host and bytes received, by the documented algorithm.
    assert headers["authorization"] == tencent.authorization(
        "AKID-test",
        "test-secret-key",
        service="sms",
        host=headers["host"],
        payload=request.body,
        timestamp=int(headers["x-tc-timestamp"]),
        content_type=headers["content-type"],
    )


def test_a_refused_request_raises_tencents_error_code(configured):
    configured.answer = {
        "Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}}
    }

    with pytest.raises(SMSSendingFailed) as failure:
        send_sms("+8613812345678", "x", template="prize_won", params={})

    assert failure.value.code == "AuthFailure.SignatureFailure"


def test_a_refused_number_raises_its_status_code(configured):
    configured.answer = {
        "Response": {"SendStatusSet": [{"Code": "InvalidParameterValue.IncorrectPhoneNumber"}]}
    }

    with pytest.raises(SMSSendingFailed) as failure:
        send_sms("+8613812345678", "x", template="prize_won", params={})

    assert failure.value.code == "InvalidParameterValue.IncorrectPhoneNumber"

"""accounts/sms_providers/aliyun.py: Aliyun SMS, signed as Aliyun documents (RPC v1, HMAC-SHA1)."""

import datetime
import json
from urllib.parse import parse_qsl

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.sms import send_sms
from accounts.sms_providers import SMSSendingFailed, aliyun
from tests.accounts.sms_gateway import gateway  # noqa: F401 (fixture)

pytestmark = pytest.mark.sqlite

# Aliyun's own worked example of a signed SendSms request (the 签名机制 page of the SMS API).
EXAMPLE = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
EXAMPLE_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123"
    "%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF"
    "%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8"
    "%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
    "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0"
    "%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A"
    "%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25"
)


def test_the_signature_of_aliyuns_published_example_is_exact():
    assert aliyun.string_to_sign("GET", EXAMPLE) == EXAMPLE_STRING_TO_SIGN
    assert aliyun.signature("testSecret", "GET", EXAMPLE) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


@pytest.fixture
def configured(settings, gateway):  # noqa: F811
    settings.KEPU_SMS_BACKEND = "accounts.sms_providers.aliyun.AliyunSMSBackend"
    settings.KEPU_SMS_ALIYUN_ENDPOINT = gateway.url
    settings.KEPU_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-key"
    settings.KEPU_SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
    settings.KEPU_SMS_SIGN_NAME = "示范市科协"
    settings.KEPU_SMS_TEMPLATES = {"verification_code": "SMS_100001"}
    gateway.answer = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"}
    return gateway


def test_a_code_goes_to_aliyun_as_a_signed_post_it_accepts(configured):
    send_sms(
        "+8613812345678",
        "【示范市科协】验证码 123456",
        template="verification_code",
        params={"code": "123456"},
    )

    (request,) = configured.requests
    assert request.method == "POST" and request.path == "/"
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    params = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    assert params["PhoneNumbers"] == "13812345678"
    assert params["SignName"] == "示范市科协"
    assert params["TemplateCode"] == "SMS_100001"
    assert json.loads(params["TemplateParam"]) == {"code": "123456"}
    assert params["AccessKeyId"] == "LTAI-test-key"
    sent_at = datetime.datetime.strptime(params["Timestamp"] + "+0000", "%Y-%m-%dT%H:%M:%SZ%z")
    assert abs(datetime.datetime.now(datetime.UTC) - sent_at) < datetime.timedelta(minutes=1)
    # The signature covers exactly what was received, with the documented algorithm.
    signature = params.pop("Signature")
    assert signature == aliyun.signature("test-secret", "POST", params)


def test_a_refusal_raises_aliyuns_code(configured):
    configured.answer = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}

    with pytest.raises(SMSSendingFailed) as failure:
        send_sms("+8613812345678", "x", template="verification_code", params={"code": "1"})

    assert failure.value.code == "isv.MOBILE_NUMBER_ILLEGAL"


def test_a_gateway_that_cannot_be_reached_is_a_sending_failure(configured, settings):
    settings.KEPU_SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:1/"

    with pytest.raises(SMSSendingFailed) as failure:
        send_sms("+8613812345678", "x", template="verification_code", params={"code": "1"})

    assert failure.value.code == "unreachable"


def test_a_message_without_a_configured_template_is_not_sent(configured):
    with pytest.raises(ImproperlyConfigured, match="KEPU_SMS_TEMPLATES"):
        send_sms("+8613812345678", "恭喜中奖", template="prize_won", params={})

    assert configured.requests == []

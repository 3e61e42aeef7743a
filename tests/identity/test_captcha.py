import base64
import json

from services.identity import captcha

KEY = "key"


def test_a_solved_challenge_verifies() -> None:
    challenge = captcha.create_challenge(KEY, 500)
    solution = captcha.verify(KEY, captcha.solve(challenge))
    assert solution is not None and solution.challenge == challenge["challenge"]


def test_a_wrong_number_a_forged_signature_or_an_expired_salt_is_refused() -> None:
    challenge = captcha.create_challenge(KEY, 500)
    payload = json.loads(base64.b64decode(captcha.solve(challenge)))
    wrong = {**payload, "number": payload["number"] + 1}
    assert captcha.verify(KEY, base64.b64encode(json.dumps(wrong).encode()).decode()) is None
    assert captcha.verify("other key", captcha.solve(challenge)) is None
    assert captcha.verify(KEY, captcha.solve(challenge), now=10**12) is None
    assert captcha.verify(KEY, "not base64 ~~") is None

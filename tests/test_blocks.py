from __future__ import annotations

from blocks.credentials import AzureSpeechCredentials, DashScopeCredentials


def test_secrets_never_show_in_repr_or_json() -> None:
    dash = DashScopeCredentials(api_key="sk-very-secret-1234")
    azure = AzureSpeechCredentials(key="azure-secret-5678")
    for block, secret in ((dash, "sk-very-secret-1234"), (azure, "azure-secret-5678")):
        assert secret not in repr(block)
        assert secret not in str(block)
        assert secret not in block.model_dump_json()
    assert dash.api_key.get_secret_value() == "sk-very-secret-1234"

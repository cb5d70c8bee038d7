"""`NOTULA_ASR_DEVICE=cuda`: on a machine with a GPU the local backends transcribe on it (float16);
on one without, loading a model says what to do instead of failing inside CTranslate2 or PyTorch."""

import pytest

from meetings.transcription.base import BackendOptions
from meetings.transcription.devices import DeviceUnavailable, cuda_devices, device_check
from meetings.transcription.metrics import wer
from meetings.transcription.registry import backend_class
from tests.asr_script import speak, trim

pytestmark = pytest.mark.asr

SENTENCE = "Please send the quarterly report to the whole team before Friday."


@pytest.mark.parametrize("backend", ["faster-whisper", "openai-whisper"])
def test_cuda_transcribes_on_a_gpu_or_says_what_to_do_without_one(backend):
    options = BackendOptions(backend, "tiny.en", device="cuda", compute_type="float16")
    if cuda_devices(backend):
        model = backend_class(backend)(options)
        result = model.transcribe(trim(speak(SENTENCE, "en-us")), language="en", beam_size=1)
        assert wer(SENTENCE, result.text) <= 0.15
    else:
        with pytest.raises(DeviceUnavailable) as refused:
            backend_class(backend)(options)
        assert "NOTULA_ASR_DEVICE=cpu" in str(refused.value) and "docs/transcription.md" in str(refused.value)


def test_an_unknown_device_is_named():
    with pytest.raises(DeviceUnavailable, match="Unknown ASR device 'tpu'"):
        device_check("tpu", "faster-whisper")
    device_check("cpu", "faster-whisper")  # always available

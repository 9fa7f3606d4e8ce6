import pytest
import smtp_sink


@pytest.fixture
def smtp(settings):
    """A real SMTP server that receives what the product sends; ``smtp.messages`` are the messages read back."""
    controller, sink = smtp_sink.start(settings)
    yield sink
    controller.stop()

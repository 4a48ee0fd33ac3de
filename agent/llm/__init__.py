"""The provider seam: a small chat-model interface, the OpenAI-compatible backend and a scripted fake."""

"""Messaging channels of the assistant: Telegram, WhatsApp via Twilio, WhatsApp Cloud API (Meta).

Registered in credentials.yml by module path; credentials come only from the environment (see
docs/channels.md). A channel whose variables are missing answers 503 on its webhook.
"""

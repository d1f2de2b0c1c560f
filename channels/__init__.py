"""Input channels of the assistant beyond Rasa's REST channel: the messaging channels Telegram,
WhatsApp via Twilio and WhatsApp Cloud API (Meta), and the website widget's socket.io channel
(socketio.py, docs/web-widget.md).

Registered in credentials.yml by module path. The messaging channels' credentials come only from
the environment (see docs/channels.md); one whose variables are missing answers 503 on its
webhook.
"""

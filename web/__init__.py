"""The website chat widget: a demo clinic page with rasa-webchat, served by web/server.py."""

"""HipGuide's input channels: the web page (socket.io) and the messaging platforms.

Each is a small subclass of Rasa's channel that fixes what Rasa 3.6 gets wrong for us and
reads its settings from the environment (see README "Channels")."""

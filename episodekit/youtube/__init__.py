"""The wire: everything that talks to YouTube through google-api-python-client.

Nothing else in episodekit imports the Google client; the CLI imports these
modules lazily, only for the commands that reach YouTube. ``client`` builds the
service and words its errors, ``auth`` and ``connect`` hold the sign-in,
``retry`` which failures of the client are tried again (under the one policy of
``episodekit.retrying``), ``media`` and ``sessions`` the resumable upload,
``requests`` turns an upload plan into the client's request objects (and the
dry run), ``uploader``, ``syncer`` and ``restore`` send them.
"""

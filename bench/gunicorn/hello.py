"""The WSGI peer for bench/run: the same 13-byte text/plain answer as samples/HelloApp.

Run from this folder: gunicorn -w 2 -b 127.0.0.1:8000 hello:app
"""

BODY = b"Hello, World!"
HEADERS = [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]

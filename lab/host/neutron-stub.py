"""neutron-stub: the real-OpenStack lab has no neutron. nova's server views ask the network
API for ports and security groups; this answers every GET /v2.0/<things> with an empty list
({"<things>": []}) and GET / with a version document, so `server list` and `server show` work.
Usage: neutron-stub.py ADDRESS PORT"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split('?', 1)[0].rstrip('/')
        parts = [p for p in path.split('/') if p]
        if not parts:
            body = {"versions": [{"id": "v2.0", "status": "CURRENT", "links": []}]}
        elif parts[0] == 'v2.0' and len(parts) == 2:
            name = parts[1].removesuffix('.json')
            body = {name: []}
        elif parts[0] == 'v2.0' and len(parts) == 1:
            body = {"resources": []}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stdout.write("neutron-stub %s\n" % (fmt % args))
        sys.stdout.flush()


if __name__ == '__main__':
    ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()

"""The rocket service as the lab's reference build runs it: a Flask app on
Flask's development server, with no signal handling of its own.

GET /        200 {"service": "rocket-reference", "rocket_size": ROCKET_SIZE}
GET /health  200 {"status": "ok"}
"""

import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/")
def root():
    return jsonify(service="rocket-reference", rocket_size=os.environ.get("ROCKET_SIZE", "Medium"))


@app.route("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)

from flask import jsonify


def xapi_error_response(exc):
    resp = jsonify({"error": exc.description})
    resp.status_code = exc.code
    return resp

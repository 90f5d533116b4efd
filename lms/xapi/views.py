from flask import Blueprint

bp = Blueprint("xapi", __name__, url_prefix="/xapi")

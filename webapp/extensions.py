"""Extensions created unbound here and bound to the app in `create_app`."""

from flask_caching import Cache
from flask_compress import Compress

cache = Cache()
compress = Compress()

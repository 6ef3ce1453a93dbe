"""carebase settings: the one settings module, read from environment variables only.

With no variable set, the embedded default runs: SQLite in var/, in-memory
channel layer and cache, database-backed tasks, a secret key generated once
into var/. Every variable is documented in docs/configuration.md.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from carebase.core.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
    secret_key_from_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") or secret_key_from_file(VAR_DIR / "secret_key")
# Earlier keys, still accepted for signatures and stored secrets while rotating.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Fernet keys for secrets stored in the database (carebase/core/crypto.py);
# without them, one key derived from SECRET_KEY.
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "carebase.core",
    "carebase.accounts",
    "carebase.crm",
    "carebase.tickets",
    "carebase.mail",
    "carebase.telephony",
    "carebase.messengers",
    "carebase.chat",
    "carebase.workflow",
    "carebase.kb",
    "carebase.academy",
    "carebase.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_tasks",
    "django_tasks_db",
]

# The inbox's order index carries filter columns on PostgreSQL (INCLUDE);
# SQLite ignores them, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "carebase.core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "carebase.urls"
ASGI_APPLICATION = "carebase.asgi.application"
WSGI_APPLICATION = "carebase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carebase.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'carebase.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
)
assert DATABASE_URL is not None
DATABASES = {"default": database_from_url("DATABASE_URL", DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis carries the channel layer and the cache when scaled out.
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # socket_timeout None: redis-py 8 gives up a read after 5 s by
                # default, and channels_redis waits for messages with a blocking
                # read of 5 s; when they met, every socket idle for 5 s was
                # dropped (redis/redis-py#4091, django/channels_redis#422).
                # max_connections: redis-py 8 caps a pool at 100, too few when
                # a thousand sockets close at once.
                "hosts": [{"address": REDIS_URL, "socket_timeout": None, "max_connections": 1000}],
                # Messages waiting for one socket before the oldest are dropped.
                "capacity": 1000,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Background work: Django's Tasks API, stored in the database and run by
# `manage.py run_worker`. "immediate" runs each task inline (the test suite).
TASK_BACKEND = env_choice("TASK_BACKEND", "database", ("database", "immediate"))
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASK_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 60, minimum=2)

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["carebase.accounts.backends.UsernameOrEmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600, minimum=300)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Email: SMTP when EMAIL_HOST is set; otherwise messages are printed on the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "carebase <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: English and Polish; Europe/Warsaw unless the user picks
# another zone in the profile.
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "en", ("en", "pl"))
LANGUAGES = [("en", _("English")), ("pl", _("Polish"))]
LOCALE_PATHS = [BASE_DIR / "carebase" / "locale"]
TIME_ZONE = env_timezone("TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True
PHONE_DEFAULT_REGION = env_str("PHONE_DEFAULT_REGION", "PL")
# When the desk is open (in TIME_ZONE), read by carebase.core.hours; the
# public holidays of HOLIDAY_COUNTRY are closed.
BUSINESS_HOURS = env_str("BUSINESS_HOURS", "mon-fri 08:00-18:00")
HOLIDAY_COUNTRY = env_str("HOLIDAY_COUNTRY", "PL")
# A missed call in business hours is to be returned within this many open minutes.
CALLBACK_DUE_MINUTES = env_int("CALLBACK_DUE_MINUTES", 30, minimum=1)
# How a phone number is dialled from the browser: a template with {number}
# (E.164), such as "tel:{number}" or a softphone's "sip:{number}@pbx.example".
CLICK_TO_CALL_URL = env_str("CLICK_TO_CALL_URL", "tel:{number}")
# The largest call event a PBX may post (a larger one gets 413).
PBX_EVENT_MAX_BYTES = env_int("PBX_EVENT_MAX_BYTES", 64 * 1024, minimum=1024)
# The largest body a messenger (Telegram, a generic webhook) may post.
MESSENGER_UPDATE_MAX_BYTES = env_int("MESSENGER_UPDATE_MAX_BYTES", 1024 * 1024, minimum=1024)

# Static files: npm-installed assets are copied into assets/ by the build
# (never committed); whitenoise serves them with far-future caching.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "assets"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Largest attachment accepted on a message (uploads, and later email and chat).
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)
# Knowledge base: an article's owner is reminded when it has not been
# reviewed for this many days (an article may set its own period).
KB_REVIEW_DAYS = env_int("KB_REVIEW_DAYS", 180, minimum=1)
# The organisation the help center names as the author of its articles.
HELP_CENTER_NAME = env_str("HELP_CENTER_NAME", "carebase")
# The largest image that may be uploaded into an article.
KB_IMAGE_MAX_BYTES = env_int("KB_IMAGE_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1)

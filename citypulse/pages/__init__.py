"""Page modules. Importing this package registers every page with the registry."""

from citypulse.pages import (  # noqa: F401  (imported for their @page registration)
    about,
    features,
    landing,
    not_found,
    privacy,
    terms,
)

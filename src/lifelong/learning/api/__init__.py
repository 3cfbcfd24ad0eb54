"""REST endpoints of the learning app, one router per area; `lifelong.api` mounts them."""

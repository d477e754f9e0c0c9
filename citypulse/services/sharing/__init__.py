"""What a shared link shows before anyone opens it: titles and link-preview meta."""

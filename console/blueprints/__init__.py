"""The console's pages, one blueprint per area; console.app registers them all."""

from console.blueprints import (
    admin,
    attention,
    conversations,
    dashboard,
    erasure,
    exports,
    handoff,
    signin,
)

BLUEPRINTS = (signin.bp, conversations.bp, handoff.bp, erasure.bp, attention.bp, dashboard.bp,
              exports.bp, admin.bp)

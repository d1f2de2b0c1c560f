"""The console's pages, one blueprint per area; console.app registers them all."""

from console.blueprints import admin, attention, conversations, dashboard, exports, handoff, signin

BLUEPRINTS = (signin.bp, conversations.bp, handoff.bp, attention.bp, dashboard.bp, exports.bp,
              admin.bp)

"""The console's pages, one blueprint per area; console.app registers them all."""

from console.blueprints import admin, attention, conversations, dashboard, exports, signin

BLUEPRINTS = (signin.bp, conversations.bp, attention.bp, dashboard.bp, exports.bp, admin.bp)

"""The console's pages, one blueprint per area; console.app registers them all."""

from console.blueprints import admin, conversations, dashboard, exports, signin

BLUEPRINTS = (signin.bp, conversations.bp, dashboard.bp, exports.bp, admin.bp)

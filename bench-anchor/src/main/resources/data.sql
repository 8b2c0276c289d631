INSERT INTO users (id, email, display_name, created_at) VALUES (1, 'reader@example.com', 'reader', CURRENT_TIMESTAMP);
INSERT INTO user_roles (user_id, role) VALUES (1, 'USER');

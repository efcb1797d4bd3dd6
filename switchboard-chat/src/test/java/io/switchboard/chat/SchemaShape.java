package io.switchboard.chat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The chat tables of a database as JDBC metadata tells them, in words that do not depend on the vendor: each
 * column's type, length and nullability, the primary key, the unique keys and the foreign keys. Two databases
 * migrated by the chat's migrations for different vendors must have the same shape.
 */
final class SchemaShape {
    private SchemaShape() {
    }

    static List<String> of(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        List<String> shape = new ArrayList<>();
        for (String table : tables(c, meta)) {
            try (ResultSet r = meta.getColumns(c.getCatalog(), c.getSchema(), table, null)) {
                while (r.next()) {
                    int type = r.getInt("DATA_TYPE");
                    shape.add(lower(table) + " column " + lower(r.getString("COLUMN_NAME")) + " " + type
                            + (type == Types.VARCHAR ? "(" + r.getInt("COLUMN_SIZE") + ")" : "")
                            + (r.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : " null"));
                }
            }
            TreeMap<Integer, String> primary = new TreeMap<>();
            try (ResultSet r = meta.getPrimaryKeys(c.getCatalog(), c.getSchema(), table)) {
                while (r.next()) {
                    primary.put(r.getInt("KEY_SEQ"), lower(r.getString("COLUMN_NAME")));
                }
            }
            shape.add(lower(table) + " primary key " + primary.values());
            Map<String, TreeMap<Integer, String>> unique = new TreeMap<>();
            try (ResultSet r = meta.getIndexInfo(c.getCatalog(), c.getSchema(), table, true, false)) {
                while (r.next()) {
                    if (!r.getBoolean("NON_UNIQUE") && r.getString("COLUMN_NAME") != null) {
                        unique.computeIfAbsent(r.getString("INDEX_NAME"), k -> new TreeMap<>())
                                .put((int) r.getShort("ORDINAL_POSITION"), lower(r.getString("COLUMN_NAME")));
                    }
                }
            }
            TreeSet<String> uniqueKeys = new TreeSet<>();
            unique.values().forEach(columns -> uniqueKeys.add(columns.values().toString()));
            uniqueKeys.remove(primary.values().toString());
            uniqueKeys.forEach(key -> shape.add(lower(table) + " unique " + key));
            try (ResultSet r = meta.getImportedKeys(c.getCatalog(), c.getSchema(), table)) {
                while (r.next()) {
                    shape.add(lower(table) + " foreign key " + lower(r.getString("FKCOLUMN_NAME")) + " -> "
                            + lower(r.getString("PKTABLE_NAME")) + "." + lower(r.getString("PKCOLUMN_NAME")));
                }
            }
        }
        shape.sort(null);
        return shape;
    }

    private static List<String> tables(Connection c, DatabaseMetaData meta) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet r = meta.getTables(c.getCatalog(), c.getSchema(), null, new String[] {"TABLE"})) {
            while (r.next()) {
                String table = r.getString("TABLE_NAME");
                if (lower(table).startsWith("chat_") && !lower(table).equals("chat_schema_history")) {
                    tables.add(table);
                }
            }
        }
        return tables;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
